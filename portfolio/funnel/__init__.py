"""The five-step optimization funnel: the steps and the bucket (``steps``), what the team
enters in them, kept per dataset (``plan``), the plan as Excel, HTML and PDF (``report``,
with ``templates/``) and its appointments as iCalendar (``ics``)."""
