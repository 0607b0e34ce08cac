#!/bin/sh
# osint-base: never start services from package scripts inside an image build.
exit 101
