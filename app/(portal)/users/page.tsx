import { requirePermission } from "@/lib/auth/guards";
import { listUsers } from "@/lib/data/users";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UserAccessControls } from "@/components/users/user-access-controls";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requirePermission("users:manage");
  const users = await listUsers(user);
  return (
    <>
      <PageHeader title="Users" />
      <Table>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>E-mail</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Change</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.map((u) => (
            <tr key={u.id}>
              <Td className="font-medium">{u.name}{u.id === user.id && <span className="text-slate-500"> (you)</span>}</Td>
              <Td>{u.email}</Td>
              <Td>{ROLE_LABELS[u.role as Role] ?? u.role}</Td>
              <Td>
                {u.disabled ? <span className="text-red-800">Disabled</span> : "Active"}
                {u.mustChangePassword && (
                  <span className="block text-xs text-amber-800">Must choose own password at next sign-in</span>
                )}
              </Td>
              <Td>{u.id !== user.id && <UserAccessControls user={{ id: u.id, name: u.name, role: u.role, disabled: u.disabled }} />}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Card className="mt-8">
        <h2 className="mb-3 font-semibold">Add a user</h2>
        <CreateUserForm />
      </Card>
    </>
  );
}
