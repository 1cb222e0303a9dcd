"""Test-wide settings: the device that device-taking tests run on.

``EMBER_TEST_DEVICE`` names it (``cpu`` by default; ``strict`` is the CuPy-like
CPU stand-in, ``cuda`` a real GPU); the ``device`` fixture hands it to tests
and pytest's header prints it.
"""
import os

import pytest

TEST_DEVICE = os.environ.get("EMBER_TEST_DEVICE", "cpu")


def pytest_report_header(config):
    return f"ember test device: {TEST_DEVICE} (EMBER_TEST_DEVICE)"


@pytest.fixture
def device():
    """The device named by ``EMBER_TEST_DEVICE`` (a string such as ``"strict"``)."""
    return TEST_DEVICE
