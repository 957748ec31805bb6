// What a signed-in person who is not staff sees instead of the console.
import { Alert, Box, Button, Typography } from '@mui/material';
import { logoutUrl, signOut } from './http.ts';

export function RefusedPage({ message }: { message: string }) {
  return (
    <Box component="main" sx={{ maxWidth: 560, mx: 'auto', my: 8, px: 2 }}>
      <Typography variant="h4" component="h1" gutterBottom>DJAM admin</Typography>
      <Alert severity="error" sx={{ mb: 2 }}>{message}</Alert>
      <Typography gutterBottom>
        The admin console is for staff members. Ask an administrator for staff access, or sign in with another account.
      </Typography>
      {/* Without script the link reaches the confirmation page; with it, one click signs out. */}
      <Button variant="contained" href={logoutUrl()} onClick={(event) => { event.preventDefault(); signOut(); }}>Sign out</Button>
    </Box>
  );
}
