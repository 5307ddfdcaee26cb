from werkcentrum.core.management.datafile_command import LoadDataFileCommand
from werkcentrum.menu.loader import bundled_menu_files, load_menu
from werkcentrum.menu.models import Service


class Command(LoadDataFileCommand):
    help = (
        "Load (or reload) regions' service menus from their data files "
        "(menu/data/<region>.toml); services no longer in a file are deactivated."
    )
    noun, collection, model = "services", "menu", Service

    def bundled(self):
        return bundled_menu_files()

    def load(self, code, path):
        return load_menu(code, path)
