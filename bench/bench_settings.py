"""Production settings with un-hashed static file names (``--no-manifest`` of the benchmarks).

Only a workaround while a template asks ``{% static %}`` for a folder (base.html's
``data-fonts``), which the manifest storage refuses; everything else is production.
"""

from portal.settings.production import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}  # noqa: F405
