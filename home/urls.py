from django.urls import path

from home import views

app_name = "home"
urlpatterns = [
    path("cerca/", views.search, name="search"),
    path("valutazione/<int:page_id>/", views.rate_page, name="page_rating"),
    path("mappa-del-sito/", views.site_map, name="site_map"),
]
