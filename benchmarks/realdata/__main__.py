"""``python -m benchmarks.realdata``: see README.md beside this file."""

from benchmarks.realdata.bench import main

raise SystemExit(main())
