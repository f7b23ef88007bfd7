"""SafeReport: safe reporting and support for migrant victims and witnesses of crime."""
