"""Errors of the pipeline that carry a message for the person running the build."""

from __future__ import annotations


class PipelineError(RuntimeError):
    """The build cannot go on; the message names the file and the problem and how to fix it.

    ``python -m pipeline build`` prints the message (no traceback), leaves the last good
    build in place and exits non-zero.
    """


class GeographyError(PipelineError):
    """The geography cannot be built from the sources as they are."""


class StatisticsError(ValueError):
    """A statistical source did not look as expected; the message names the file and the problem.

    The statistics step turns it into a :class:`PipelineError`.
    """
