"""interp-align: align interpreted English turns with their Japanese originals.

Importing the package loads no model: embedders load lazily on first use.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("interp-align")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+local"

__all__ = ["__version__"]
