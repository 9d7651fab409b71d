"""Stand-in for the get-pip.py bootstrap script that ansible-test downloads from its own CI file server.

ansible-test creates its sanity virtual environments without pip and installs pip into them by
running ``get-pip-<version>.py``, which it fetches from a host outside the package registries this
project may reach. It first looks for the script in ``~/.ansible/test/cache/get_pip_<version>.py``
(its error message says to save it there). tests/gates/sanity.sh copies this file there: it does
what get-pip.py does, from the standard library's ``ensurepip`` and PyPI instead of an embedded
copy of pip.

ansible-test runs it as ``python get_pip.py [pip options] pip==<version> --no-setuptools --no-wheel``.
"""
import subprocess
import sys


def main(argv):
    no_setuptools = '--no-setuptools' in argv
    no_wheel = '--no-wheel' in argv
    args = [arg for arg in argv if arg not in ('--no-setuptools', '--no-wheel')]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--upgrade', '--force-reinstall'] + args)
    # ensurepip brings setuptools on Python < 3.12; get-pip.py leaves out what it was told to.
    for name, unwanted in (('setuptools', no_setuptools), ('wheel', no_wheel)):
        if unwanted:
            subprocess.call([sys.executable, '-m', 'pip', 'uninstall', '--yes', '--quiet', name],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == '__main__':
    main(sys.argv[1:])
