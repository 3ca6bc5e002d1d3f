"""The bundled demo: a generated Korean campaign sample and the ``advocates demo`` command."""
