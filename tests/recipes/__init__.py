"""The backend recipes of the documentation (docs/recipes/), as code that the tests import and run."""
