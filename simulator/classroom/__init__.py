"""Classroom tools: the narrated timeline, the live view with sliders, the map replay.

They read a :class:`~simulator.results.RunResult` (its daily arrays and its event log) and the
validated scenario; they never reach into the model's internals, so the model can change under
them without breaking a lesson.
"""
