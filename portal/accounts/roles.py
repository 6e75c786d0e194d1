"""Names of the permission groups; the one place that spells them.

* ``EDITORS`` and ``APPROVERS`` are Wagtail's own page groups ("Editors" draft pages,
  "Moderators" approve and publish them).
* ``PARTICIPATION_MODERATORS`` reviews proposals, comments and associations.
"""

EDITORS = "Editors"
APPROVERS = "Moderators"
PARTICIPATION_MODERATORS = "Participation moderators"
