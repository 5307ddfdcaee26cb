from werkcentrum.core.management.datafile_command import LoadDataFileCommand
from werkcentrum.training.loader import bundled_training_files, load_trainings
from werkcentrum.training.models import Training


class Command(LoadDataFileCommand):
    help = (
        "Load (or reload) regions' training catalogues from their data files "
        "(training/data/<region>.toml); trainings no longer in a file are deactivated."
    )
    noun, collection, model = "trainings", "catalogue", Training

    def bundled(self):
        return bundled_training_files()

    def load(self, code, path):
        return load_trainings(code, path)
