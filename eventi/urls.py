app_name = "eventi"
urlpatterns: list = []
