from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Allauth adapter: one place for account policy (extended by the account issue)."""
