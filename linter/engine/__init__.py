"""The engine: configuration in, rules run over the model, suppressions applied, findings out."""
