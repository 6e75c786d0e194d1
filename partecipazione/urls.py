app_name = "partecipazione"
urlpatterns: list = []
