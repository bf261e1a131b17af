"""What leaves the dashboards as files: printable handouts (`handouts`)."""
