"""ansible-builder on the shipped environment definitions, without a container engine."""
import os
import shutil
import subprocess
import sys

BIN = os.path.dirname(sys.executable)


def builder_create(definition_file, tarball, work):
    """`ansible-builder create` (no container engine needed) on a shipped definition, with the collection
    tarball beside it as the definition expects: (build context, its Containerfile text)."""
    definition = work / 'definition'
    definition.mkdir()
    shutil.copy(definition_file, str(definition))
    shutil.copy(str(tarball), str(definition / 'msgraph-security.tar.gz'))
    context = work / 'context'
    created = subprocess.run([os.path.join(BIN, 'ansible-builder'), 'create', '-f',
                              str(definition / os.path.basename(definition_file)), '--context', str(context)],
                             capture_output=True, text=True, check=False)
    assert created.returncode == 0, created.stdout + created.stderr
    containerfile = next(p for p in (context / 'Containerfile', context / 'Dockerfile') if p.exists()).read_text()
    return context, containerfile
