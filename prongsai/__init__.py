"""prongsai - Thai local-government anti-corruption action plans to one clean dataset."""

__version__ = "0.1.0"
