"""Content pages, page feedback and school booking requests."""

from home.models.feedback import PageFeedback, SchoolBookingRequest
from home.models.pages import (
    ContactFormField,
    ContactPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SchoolProgrammeIndexPage,
    SchoolProgrammePage,
    StandardPage,
    TopicIndexPage,
    TopicPage,
    TwinCityIndexPage,
    TwinCityPage,
)

__all__ = [
    "ContactFormField",
    "ContactPage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "PageFeedback",
    "SchoolBookingRequest",
    "SchoolProgrammeIndexPage",
    "SchoolProgrammePage",
    "StandardPage",
    "TopicIndexPage",
    "TopicPage",
    "TwinCityIndexPage",
    "TwinCityPage",
]
