"""The one error hierarchy of jdtool: the CLI maps every JdtoolError to a one-line message."""


class JdtoolError(Exception):
    """Base class for every error jdtool raises on purpose."""


class InputError(JdtoolError):
    """A posting or input file cannot be read or understood."""


class CorpusError(JdtoolError):
    """A labelled corpus is malformed or unusable for training or evaluation."""


class ModelError(JdtoolError):
    """A model folder is missing, untrusted, tampered with or incompatible."""


class TemplateError(JdtoolError):
    """A generation template or its variables are wrong or unsafe."""
