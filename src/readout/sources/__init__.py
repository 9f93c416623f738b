"""Where readouts come from besides plain text: HTML pages, PDF files and URLs.

:func:`readout.io.load_source` is the one entry point; it hands HTML to
:mod:`readout.sources.html`, PDF to :mod:`readout.sources.pdf` and URLs to
:mod:`readout.sources.fetch`.
"""
