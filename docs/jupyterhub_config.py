# JupyterHub for a class, exactly as tests/browser/test_jupyterhub.py runs it (docs/deploiement.md).
#
# Everything listens on 127.0.0.1. The two lines marked « TEST » let anyone in and give every
# user a folder of the hub's, in the hub's own account: a school's hub replaces them by its own
# authenticator (LDAP, OAuth…) and a spawner that isolates users (SystemdSpawner on The Littlest
# JupyterHub, KubeSpawner on Zero to JupyterHub). The rest is what the casebook needs.
#
# Environment: CASEBOOK_HUB_DIR (the hub's state and the users' folders, default: the current
# folder), CASEBOOK_HUB_PORT (the public port, default 8000), CASEBOOK_HUB_API_PORT and
# CASEBOOK_PROXY_API_PORT (the hub's and the proxy's internal ports, default 8081 and 8001).
# The proxy, configurable-http-proxy, is found on PATH (`make test` installs it in .venv/).

import os
from pathlib import Path

c = get_config()  # noqa: F821 - JupyterHub defines it when it reads this file

state = Path(os.environ.get("CASEBOOK_HUB_DIR", ".")).resolve()
c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('CASEBOOK_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("CASEBOOK_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('CASEBOOK_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")

c.JupyterHub.authenticator_class = "dummy"  # TEST: any name, any password
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"  # TEST: one folder per user, no isolation between them
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")

# Each student's server opens on the accueil of the notebooks that nbgitpuller copied into their
# folder (~/casebook/notebooks); Voilà finds the casebook's template and settings in the
# environment where the casebook is installed (etc/jupyter/voila.json).
c.Spawner.default_url = "/voila/render/casebook/notebooks/00_accueil.ipynb"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
if os.geteuid() == 0:  # a single-user server refuses to run as root without it (CI runs as root)
    c.Spawner.args = ["--allow-root"]

# Stopping the hub stops every student's server and the proxy it started.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
