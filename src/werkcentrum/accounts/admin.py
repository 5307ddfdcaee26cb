from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "region", "partner", "is_active"]
    list_filter = ["role", "region", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Werkcentrum", {"fields": ["role", "region", "partner", "walk_in_point"]}),
    ]
