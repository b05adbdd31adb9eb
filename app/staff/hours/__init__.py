"""The opening-hours editor of the staff area, in one place.

``views`` (the editor, its preview, the JSON download and upload), ``form`` (the form and its
translation to and from the JSON document), ``preview`` (what visitors would see, and the
clock-change warnings), ``messages`` (the validator's problems in the staff member's language).
Importing the package registers the views on the staff blueprint.
"""

from app.staff.hours import views  # noqa: F401  (register the views)
