"""Request services of establishments declared on the e-service engine."""
