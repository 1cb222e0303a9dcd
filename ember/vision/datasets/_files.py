"""Finding the local files of a dataset, and the error for a missing one (ember never downloads)."""
import os


def find_file(folder, name):
    """Path of ``name`` in ``folder``, or of its ``.gz`` version; None if neither exists."""
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


def missing(dataset, folder, names):
    """RuntimeError saying which files to put where (ember has no network access)."""
    listed = ", ".join(names)
    return RuntimeError(f"Dataset not found: {dataset} needs the files {listed} in {folder}. "
                        "ember never downloads data sets (download=True cannot fetch them): "
                        "copy the files there (the .gz versions are read too).")
