"""ESCO occupations: loading the Dutch labels and normalising typed job titles."""
