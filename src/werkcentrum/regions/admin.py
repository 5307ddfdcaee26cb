from django.contrib import admin

from .models import Municipality, Partner, Region, Subregion, WalkInPoint


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "data_version", "loaded_at"]


@admin.register(Subregion)
class SubregionAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subregion", "region"]
    list_filter = ["region"]


@admin.register(WalkInPoint)
class WalkInPointAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "is_regional_centre", "region"]
    list_filter = ["region"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "desk", "municipality", "pickup_working_days", "active"]
    list_filter = ["region", "kind", "active"]
    search_fields = ["name", "code"]
