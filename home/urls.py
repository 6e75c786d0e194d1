from django.urls import path

from home import views

app_name = "home"
urlpatterns = [
    path("cerca/", views.search, name="search"),
    path("dati-aperti/", views.open_data, name="open_data"),
    path("dati-aperti/catalogo.jsonld", views.open_data_catalogue, name="open_data_catalogue"),
    path("valutazione/<int:page_id>/", views.rate_page, name="page_rating"),
    path("mappa-del-sito/", views.site_map, name="site_map"),
]
