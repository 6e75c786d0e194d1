"""Notifications get a kind for "a proposal I follow was realised"."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partecipazione', '0006_notification_kinds_for_follows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('my_state', 'stato della mia proposta'), ('reply', 'risposta a un mio commento'), ('followed_comment', 'nuovo commento su una proposta che seguo'), ('supported_changed', 'modifica a una proposta che sostengo'), ('membership', 'associazione'), ('followed_new_event', 'nuovo evento in ciò che seguo'), ('followed_event', 'modifica o annullamento di un evento che seguo'), ('followed_realised', 'proposta che seguo realizzata')], max_length=20, verbose_name='tipo'),
        ),
    ]
