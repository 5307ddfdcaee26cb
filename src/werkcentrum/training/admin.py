from django.contrib import admin

from .models import Training


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "provider",
        "level",
        "sector",
        "learning_form",
        "duration_weeks",
        "cost_eur",
        "municipality",
        "active",
    ]
    list_filter = ["region", "active", "level", "sector", "learning_form"]
    search_fields = ["title", "provider", "key", "description"]
    list_select_related = ["municipality"]
    readonly_fields = ["updated_at"]
