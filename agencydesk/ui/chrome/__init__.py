"""The application's chrome: welcome screen, About, Settings and crash dialogs, theme, icons,
single instance per profile and logging setup. Each piece takes its collaborators as arguments;
the composition root (``agencydesk.app``) wires them in.

Deliberately imports nothing, so that headless code (the PyInstaller spec reads ``licences``)
can use a module of this package without loading Qt.
"""
