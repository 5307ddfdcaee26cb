from django.contrib import admin

from .models import Menu, Service


@admin.register(Menu)
class MenuAdmin(admin.ModelAdmin):
    list_display = ("region", "version", "approved_by", "approved_on", "loaded_at")
    readonly_fields = ("source_file", "loaded_at")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "region", "version", "approved_on", "active")
    list_filter = ("region", "active", "budget_available")
    search_fields = ("name", "code", "description")
    list_select_related = ("provider", "region")
    raw_id_fields = ("edited_by",)
