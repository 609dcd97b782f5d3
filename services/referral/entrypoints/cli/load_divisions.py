"""Loads the national division tree and the township aliases into the referral database
(see adapters/division_loading.py).

    python -m services.referral.entrypoints.cli.load_divisions "$(bash deploy/local/fetch-divisions.sh)"
"""

from services.referral.adapters.division_loading import load_divisions
from services.referral.entrypoints.cli.loader import run_loader

if __name__ == "__main__":
    run_loader(load_divisions, "divisions and villages")
