"""The web app and JSON API (``readout serve``); see :mod:`readout.web.app`."""

from readout.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
