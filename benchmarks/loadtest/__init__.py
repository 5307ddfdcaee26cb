"""`make loadtest` (issue 7): a locust scenario against gunicorn + PostgreSQL.

``scripts/loadtest.py`` drives it; ``prepare.py`` makes the load-test accounts and sessions in the
database ``werkcentrum_load``; ``paths.py`` holds the URLs the scenario requests (no locust import,
so the tests can check them); ``locustfile.py`` is the scenario itself.
"""
