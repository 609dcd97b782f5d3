"""Code common to every service: event contracts, topics, settings, database and messaging helpers."""
