"""One subpackage per vendor (client, mapping, capabilities, sandbox), all the same shape."""
