"""xlkp: UWV's quarterly 'Transparantie van klantprofielen' into checked Excel workbooks."""

__version__ = "0.1.0"

# The environment variable naming the history store: here, not in xlkp.store, so that the CLI
# can name it in its help without importing the store (and sqlite3) for every command.
STORE_ENV = "XLKP_STORE"
