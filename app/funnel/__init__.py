"""The funnel page's sections, one module per step: each draws its inputs, saves what the
team enters with the dataset (``portfolio.funnel.plan``) and returns what the bucket
needs (``bucket``); ``common`` holds what they share."""

from app.funnel.anchor import step_anchor
from app.funnel.bucket import bucket_view, downloads
from app.funnel.common import plan_of, segments_for, show_saved
from app.funnel.external import step_external
from app.funnel.grow import step_grow
from app.funnel.remediate import step_remediate
from app.funnel.select import step_select

__all__ = [
    "bucket_view",
    "downloads",
    "plan_of",
    "segments_for",
    "show_saved",
    "step_anchor",
    "step_external",
    "step_grow",
    "step_remediate",
    "step_select",
]
