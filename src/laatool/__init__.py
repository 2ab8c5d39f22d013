"""laatool: validate, score and reward Local Area Agreement targets against the National Indicator Set."""

__version__ = "0.1.0"
