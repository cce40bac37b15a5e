"""Debian's headless Chromium through chromedriver, as the browser tests drive it (selenium from PyPI)."""
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    # A container has no user namespaces for the sandbox and a small /dev/shm; the rest keeps Chromium
    # from reaching for Google's services, since nothing may leave this machine.
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                 "--disable-domain-reliability", "--disable-features=Translate,OptimizationHints,MediaRouter"]:
        options.add_argument(flag)
    # The console, warnings included, is read back by the tests.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
