"""The steps of ``python -m pipeline build``, run in order.

Each step is a function taking a :class:`Context` and returning a one-line summary. A step
decides itself whether its inputs changed (and does nothing when they did not), writes its
outputs atomically, and raises :class:`pipeline.errors.PipelineError` with a message for the
person running the build when it cannot go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline import geography, realdata, statistics


@dataclass(frozen=True)
class Context:
    """What every step gets: ``force`` rebuilds even when nothing changed; ``progress(msg)``
    reports a stage to the progress display."""

    force: bool
    progress: Callable[[str], None]


@dataclass(frozen=True)
class Step:
    """A named build step."""

    name: str
    run: Callable[[Context], str]
    description: str = ""


def _geography(ctx: Context) -> str:
    result = geography.build(force=ctx.force, progress=ctx.progress)
    c = result.counts
    if result.skipped:
        return f"unchanged inputs, nothing to do ({result.seconds:.1f} s)"
    return (
        f"{c['kabupaten']} kabupaten/kota, {c['kecamatan']} kecamatan, "
        f"{c['desa'] + c['kelurahan']} desa/kelurahan, {c['area_km2']:,.1f} km² "
        f"in {result.seconds:.1f} s"
    )


#: The build, in order. Later steps may rely on the outputs of earlier ones.
STEPS: list[Step] = [
    Step("geography", _geography, "desa/kecamatan/kabupaten layers from sources 1-3"),
    # IDM 2024, schools and puskesmas, desa population (sources 10-12, 4)
    *realdata.build_steps(Step),
    # the statistics, the illustrative values and the store load
    *statistics.build_steps(Step),
]
