import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, fieldError } from '../api/client';
import { keys } from '../api/queries';
import { TLP_LEVELS, type Tlp } from '../api/types';
import { Button, bindValue, ErrorNote, SelectField, TextArea, TextField } from '../components/ui';

/** Reads a JSON export (Export tab) back into a new investigation owned by the caller. */
export function ImportExport() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const id = useId();
  const importFile = useMutation({
    mutationFn: async (file: File) =>
      api.post('/investigations/import', {
        raw: { body: await file.text(), type: 'application/json' },
      }),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['investigations'] });
      navigate(`/investigations/${result.investigationId}/selectors`);
    },
  });
  return (
    <div className="import-export">
      <input
        id={id}
        type="file"
        accept="application/json,.json"
        className="sr-only"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) importFile.mutate(file);
          e.target.value = '';
        }}
      />
      <label htmlFor={id} className="btn btn-secondary" aria-busy={importFile.isPending || undefined}>
        {importFile.isPending ? 'Importing…' : 'Import a JSON export…'}
      </label>
      <ErrorNote
        error={importFile.error}
        overrides={{
          validation_failed: 'That file is not a JSON export of this platform.',
          malformed_json: 'That file is not JSON.',
        }}
      />
    </div>
  );
}

export function CreateInvestigation({ onClose }: { onClose: () => void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [region, setRegion] = useState('');
  const titleRef = useRef<HTMLInputElement>(null);
  const client = useQueryClient();
  const navigate = useNavigate();
  useEffect(() => titleRef.current?.focus(), []);
  const create = useMutation({
    mutationFn: () =>
      api.post('/investigations', {
        json: {
          title: title.trim(),
          description: description.trim() || undefined,
          tlp,
          defaultRegion: region.trim() ? region.trim().toUpperCase() : undefined,
        },
      }),
    onSuccess: (inv) => {
      client.setQueryData(keys.investigation(inv.id), inv);
      void client.invalidateQueries({ queryKey: ['investigations'] });
      navigate(`/investigations/${inv.id}/ingest`);
    },
  });
  const errorOf = (name: string) => fieldError(create.error, name);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="card create-form" onSubmit={submit} aria-labelledby="create-heading">
      <h2 id="create-heading">New investigation</h2>
      <div className="form-grid">
        <TextField
          ref={titleRef}
          label="Title"
          required
          maxLength={500}
          {...bindValue(title, setTitle)}
          error={errorOf('title')}
        />
        <SelectField
          label="TLP"
          value={tlp}
          onChange={(e) => setTlp(e.target.value as Tlp)}
          options={TLP_LEVELS.map((t) => ({ value: t, label: `TLP:${t.toUpperCase()}` }))}
          hint="Who may see what you export from it."
        />
        <TextField
          label="Default region"
          {...bindValue(region, setRegion)}
          maxLength={2}
          placeholder="GB"
          hint="Two-letter country code, used to read phone numbers written without +."
          error={errorOf('defaultRegion')}
        />
      </div>
      <TextArea
        label="Description"
        rows={3}
        {...bindValue(description, setDescription)}
        error={errorOf('description')}
      />
      <ErrorNote error={create.error} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!title.trim()}>
          Create and start ingesting
        </Button>
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
