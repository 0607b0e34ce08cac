import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, fieldError } from '../api/client';
import { keys, useInvalidate, useMe, useMembers } from '../api/queries';
import { MEMBER_ROLES, type Member, type MemberRole } from '../api/types';
import {
  Button,
  bindValue,
  DataTable,
  ErrorNote,
  QueryStatus,
  RoleBadge,
  SelectField,
  TextField,
  Time,
} from '../components/ui';
import { useWorkspace } from './context';

const ROLE_OPTIONS = MEMBER_ROLES.map((r) => ({ value: r, label: r }));

/** Who is in the investigation; owners add people, change roles and remove them; anyone may leave. */
export function MembersTab() {
  const { inv, isOwner } = useWorkspace();
  const members = useMembers(inv.id);
  const me = useMe();
  return (
    <div>
      {isOwner ? <AddMember investigationId={inv.id} /> : null}
      {!isOwner ? <p className="muted">Only owners can add members or change roles.</p> : null}
      <QueryStatus query={members} label="Loading members…" />
      {members.data ? (
        <DataTable
          testId="members-table"
          columns={[
            'Name',
            'Email',
            'Role',
            'Member since',
            { label: <span className="sr-only">Actions</span> },
          ]}
        >
          {members.data.items.map((m) => (
            <MemberRow
              key={m.userId}
              m={m}
              investigationId={inv.id}
              isOwner={isOwner}
              isMe={m.userId === me.data?.user.id}
            />
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}

function MemberRow({
  m,
  investigationId,
  isOwner,
  isMe,
}: {
  m: Member;
  investigationId: string;
  isOwner: boolean;
  isMe: boolean;
}) {
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const setRole = useMutation({
    mutationFn: (role: MemberRole) =>
      api.patch('/investigations/{id}/members/{userId}', {
        path: { id: investigationId, userId: m.userId },
        json: { role },
      }),
    onSuccess: () => invalidate(keys.members(investigationId), keys.investigation(investigationId)),
  });
  const remove = useMutation({
    mutationFn: () =>
      api.delete('/investigations/{id}/members/{userId}', {
        path: { id: investigationId, userId: m.userId },
      }),
    onSuccess: () => {
      if (isMe) {
        navigate('/');
        return invalidate(['investigations']);
      }
      return invalidate(keys.members(investigationId));
    },
  });
  return (
    <tr>
      <td>
        {m.displayName}
        {isMe ? <span className="muted"> (you)</span> : null}
      </td>
      <td className="mono">{m.email}</td>
      <td>
        {isOwner ? (
          <SelectField
            label={<span className="sr-only">Role of {m.displayName}</span>}
            value={setRole.isPending ? (setRole.variables ?? m.role) : m.role}
            disabled={setRole.isPending}
            onChange={(e) => setRole.mutate(e.target.value as MemberRole)}
            options={ROLE_OPTIONS}
          />
        ) : (
          <RoleBadge role={m.role} />
        )}
        <ErrorNote error={setRole.error} />
      </td>
      <td>
        <Time iso={m.createdAt} />
      </td>
      <td>
        {isOwner || isMe ? (
          <Button
            className="btn-small"
            variant="danger"
            busy={remove.isPending}
            onClick={() => {
              const question = isMe
                ? 'Leave this investigation? You lose access to everything in it.'
                : `Remove ${m.displayName} from this investigation?`;
              if (window.confirm(question)) remove.mutate();
            }}
          >
            {isMe ? 'Leave' : 'Remove'}
          </Button>
        ) : null}
        <ErrorNote error={remove.error} />
      </td>
    </tr>
  );
}

function AddMember({ investigationId }: { investigationId: string }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('viewer');
  const [invited, setInvited] = useState<string | null>(null);
  const invalidate = useInvalidate();
  // The API answers 202 alike whether or not the address has an account (so it cannot be used to probe
  // for accounts); an account that exists joins at once and shows up in the table.
  const add = useMutation({
    mutationFn: (address: string) =>
      api.post('/investigations/{id}/members', {
        path: { id: investigationId },
        json: { email: address, role },
      }),
    onMutate: () => setInvited(null),
    onSuccess: (_answer, address) => {
      setEmail('');
      setInvited(address);
      return invalidate(keys.members(investigationId));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim()) add.mutate(email.trim());
  };
  return (
    <form
      className="card inline-form"
      onSubmit={submit}
      style={{ marginBottom: '1rem' }}
      aria-label="Add a member"
    >
      <TextField
        label="Add by email"
        type="email"
        {...bindValue(email, setEmail)}
        placeholder="colleague@example.org"
        error={fieldError(add.error, 'email')}
      />
      <SelectField
        label="Role"
        value={role}
        onChange={(e) => setRole(e.target.value as MemberRole)}
        options={ROLE_OPTIONS}
      />
      <Button type="submit" variant="primary" busy={add.isPending} disabled={!email.trim()}>
        Add member
      </Button>
      {add.error && !fieldError(add.error, 'email') ? <ErrorNote error={add.error} /> : null}
      {invited ? (
        <p className="muted" role="status" data-testid="member-invited">
          Invitation recorded for {invited}. If an account uses that address, it is now a member; if not, ask
          an admin to create one, then invite it again.
        </p>
      ) : null}
    </form>
  );
}
