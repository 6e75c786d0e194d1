"""Read-only records for the data protection officer (Django admin, superusers)."""

from django.contrib import admin

from portal.accounts.models import AccountDeletionLog, PrivacyConsent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccountDeletionLog)
class AccountDeletionLogAdmin(ReadOnlyAdmin):
    list_display = ["deleted_at", "user_hash"]
    date_hierarchy = "deleted_at"


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(ReadOnlyAdmin):
    list_display = ["user", "notice_version", "accepted_at"]
    list_filter = ["notice_version"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
