import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIdTable, readIdTable } from '../../../src/util/passwd-db.js';

describe('passwd/group parsing', () => {
  it('maps names and ids both ways, skipping comments and malformed lines; first entry wins', () => {
    const table = parseIdTable('# comment\nroot:x:0:0:root:/root:/bin/bash\nbroken line\nweird:x:abc:1\nalice:x:1000:1000::/home/alice:/bin/sh\nalias:x:1000:1000::/:/bin/sh\n');
    assert.equal(table.byId.get(0), 'root');
    assert.equal(table.byId.get(1000), 'alice');
    assert.equal(table.byName.get('alias'), 1000);
    assert.equal(table.byName.has('weird'), false);
    assert.equal(table.byName.has('broken line'), false);
  });

  it('reads the real /etc/passwd (root is uid 0) and tolerates a missing file', () => {
    assert.equal(readIdTable('/etc/passwd').byName.get('root'), 0);
    assert.equal(readIdTable('/nonexistent/passwd').byId.size, 0);
  });
});
