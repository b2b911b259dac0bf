"""xlkp: UWV's quarterly 'Transparantie van klantprofielen' into checked Excel workbooks."""

__version__ = "0.1.0"
